/** Our own keys: states shared in the database, private keys in files, served by the KeyRing (docs/keys.md). */
export { KEY_USES, KEY_STATES, type KeyUse, type KeyState, type NodeKey, type KeyRing, type KeyRecord } from './types.ts';
export { openKeyRing, type KeyRingOptions, type KeyRingStatus, type ManagedKeyRing } from './ring.ts';
export { KeyLifecycleError, KEY_LIFECYCLE_CODES, type KeyLifecycleCode } from './errors.ts';
export { keySettingsFrom, type KeySettings } from './settings.ts';
export { KEY_ALGORITHMS, DEFAULT_KEY_ALGORITHM, isKeyAlgorithm, algorithmOf, type KeyAlgorithm } from './algorithms.ts';
export { TRANSITIONS, isAllowedTransition, type KeyChange, type Transition } from './transitions.ts';
export {
  generateKey,
  importKey,
  promoteKey,
  retireKey,
  runSchedule,
  listKeys,
  DEFAULT_VALIDITY_DAYS,
  type LifecycleContext,
  type LifecycleResult,
  type GenerateOptions,
  type ImportOptions,
} from './lifecycle.ts';
export { importDevelopmentKeys, openNodeKeyRing, type NodeKeyRingOptions } from './startup.ts';
export { keyRingCheck, expiringKeys, type ExpiryFlag } from './readiness.ts';
export { keyIdFor } from './files.ts';
