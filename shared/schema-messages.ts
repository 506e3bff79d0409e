import { z } from 'zod';

const count = (n: number | bigint) => Number(n).toLocaleString('en-US');

/**
 * What a setting's check says, in words a person reads in a form or a
 * terminal ("must be at least 1"), where zod's own default reads "Too small:
 * expected number to be >=1". Messages a schema gives itself come first; an
 * issue not named here keeps zod's.
 */
function plainMessage(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case 'too_small': {
      const { minimum, inclusive, origin } = issue;
      if (origin === 'number' || origin === 'int')
        return `must be ${inclusive ? 'at least' : 'more than'} ${count(minimum)}`;
      if (origin === 'string')
        return Number(minimum) <= 1
          ? 'cannot be empty'
          : `needs at least ${count(minimum)} characters`;
      if (origin === 'array') return `needs at least ${count(minimum)}`;
      return undefined;
    }
    case 'too_big': {
      const { maximum, inclusive, origin } = issue;
      if (origin === 'number' || origin === 'int')
        return Number(maximum) >= Number.MAX_SAFE_INTEGER
          ? 'is too large'
          : `must be ${inclusive ? 'at most' : 'less than'} ${count(maximum)}`;
      if (origin === 'string') return `takes at most ${count(maximum)} characters`;
      if (origin === 'array') return `takes at most ${count(maximum)}`;
      return undefined;
    }
    case 'invalid_type':
      if (issue.expected === 'int') return 'must be a whole number';
      if (issue.expected === 'number') return 'must be a number';
      if (issue.expected === 'string') return 'must be text';
      if (issue.expected === 'boolean') return 'must be true or false';
      if (issue.expected === 'array') return 'must be a list';
      return undefined;
    default:
      return undefined;
  }
}

z.config({ customError: plainMessage });
