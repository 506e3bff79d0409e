import { startFixtureSite } from './tests/helpers/fixture-site';
const site = await startFixtureSite({ pages: 20 });
console.log(site.origin);
setTimeout(() => site.close(), 600_000);
