export { LightHeaders, type HeadersSource } from './headers.js';
export { LightRequest } from './request.js';
export { LightResponse } from './response.js';
export { installFastFetch, fastFetchEnabled } from './install.js';
export { nativeFetch, nativesLoaded } from './natives.js';
