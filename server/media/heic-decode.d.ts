/** heic-decode: libheif compiled to WebAssembly, decoding HEIC/HEIF stills to RGBA pixels. */
declare module 'heic-decode' {
  interface DecodedImage {
    readonly width: number;
    readonly height: number;
    /** RGBA, 4 bytes a pixel, row by row. */
    readonly data: Uint8ClampedArray;
  }
  function decode(input: { buffer: ArrayBufferLike | Uint8Array }): Promise<DecodedImage>;
  export default decode;
}
