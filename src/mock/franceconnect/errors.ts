/** The mock FranceConnect cannot be built as asked (bad options, production environment…). */
export class MockFranceConnectError extends Error {
  override readonly name = 'MockFranceConnectError';
}
