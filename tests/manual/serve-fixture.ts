import { startFixtureSite } from '../helpers/fixture-site';
const s = await startFixtureSite({ pages: 200, delayMs: 5 });
console.log(s.origin);
setInterval(() => {}, 1000);
