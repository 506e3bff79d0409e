declare module 'html-encoding-sniffer' {
  /** The WHATWG encoding name a browser would decode these bytes with. */
  export default function htmlEncodingSniffer(
    bytes: Uint8Array,
    options?: { transportLayerEncodingLabel?: string; defaultEncoding?: string; xml?: boolean },
  ): string;
}
