export type * from './chat.js';
export type * from './provider.js';
export type * from './catalog.js';
export type * from './routing.js';
export type * from './ledger.js';
export type * from './events.js';
export type * from './state.js';
export type * from './learning.js';
export { emptyUsage } from './chat.js';
