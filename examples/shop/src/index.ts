export { health } from './health.js';
export { listProducts, getProduct, createQuote } from './products.js';
export { avatar } from './avatars.js';
export { fulfilOrder, indexImage, nightlyReport } from './jobs.js';
