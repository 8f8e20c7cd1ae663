export { getAllBySearchAfter, encodeSearchAfter } from './pagination';
export type { SearchAfterRequest } from './pagination';
export { quivoApiRequest } from './request';
export type { QuivoRequest } from './request';
export { logIn, QuivoLoginError, readSessionToken } from './login';
export { DEFAULT_POLICY } from './retry';
export type { RequestPolicy } from './retry';
