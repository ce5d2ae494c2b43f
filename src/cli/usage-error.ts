/** A command used wrongly (a bad spec, an unreadable schema): exit code 2, the message alone. */
export class UsageError extends Error {}
