/** Where the storage reads the time: expiry is decided with it, so tests pin it. */
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();
