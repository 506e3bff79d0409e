/** What the helper reads of an element (this file also compiles without the DOM's types). */
type Element = { classList: { contains(name: string): boolean } };

/**
 * jsdom lays nothing out: gives the URL table's scroller a height, so the
 * virtualizer puts rows in it. For jsdom tests only.
 */
export function layOutTableScroller(heightPx = 640): void {
  const { HTMLElement } = globalThis as unknown as { HTMLElement: { prototype: object } };
  Object.defineProperty(HTMLElement.prototype, 'clientHeight', {
    configurable: true,
    get(this: Element) {
      return this.classList.contains('table-scroller') ? heightPx : 0;
    },
  });
}
