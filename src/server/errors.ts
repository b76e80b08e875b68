/** The node cannot start: a port in use, unreadable TLS files, keys missing in production… */
export class StartupError extends Error {
  override readonly name = 'StartupError';
}
