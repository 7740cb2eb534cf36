/** What other projects may use of the admin API: the local stack creates its token key at `up`. */
export { ensureLocalSigningKey, localKeyPaths, LOCAL_AUDIENCE, LOCAL_ISSUER } from './local-keys';
