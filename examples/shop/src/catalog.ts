/** A read-only product catalogue; a real app would read a database here. */
export interface Product {
  id: string;
  name: string;
  priceCents: number;
  tags: string[];
}

export const products: readonly Product[] = [
  { id: 'p-100', name: 'Trail mug', priceCents: 1800, tags: ['kitchen', 'outdoor'] },
  { id: 'p-200', name: 'Wool socks', priceCents: 1200, tags: ['clothing'] },
  { id: 'p-300', name: 'Headlamp', priceCents: 3400, tags: ['outdoor', 'light'] },
];
