/**
 * Prints one element alone: the element is a direct child of <body> hidden on screen
 * (`.print-only`), and the `printing-<name>` class of <html> shows it on paper and hides the
 * rest (see main.css). `pageSize` is a CSS @page size, e.g. "70mm 37mm" for a label printer.
 */
export function printOnly(name: string, pageSize: string): void {
  const root = document.documentElement;
  const page = document.createElement('style');
  page.textContent = `@page { size: ${pageSize}; margin: 0; }`;
  document.head.append(page);
  root.classList.add(`printing-${name}`);
  const done = () => {
    root.classList.remove(`printing-${name}`);
    page.remove();
    window.removeEventListener('afterprint', done);
  };
  window.addEventListener('afterprint', done);
  window.print();
}
