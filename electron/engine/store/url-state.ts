/** frontier.state values. */
export const URL_STATE = { queued: 0, leased: 1, done: 2, failed: 3, blocked: 4 } as const;
