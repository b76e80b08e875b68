/** Typed errors of the page layer: a page refuses input it cannot render safely. */

export type PageErrorReason = 'URL_NOT_ALLOWED' | 'VALUE_NOT_RENDERABLE' | 'FIELD_NAME_INVALID';

export class PageInputError extends Error {
  override readonly name = 'PageInputError';
  constructor(
    readonly reason: PageErrorReason,
    detail: string,
  ) {
    super(`${reason}: ${detail}`);
  }
}
