/**
 * Fans one MPEG-TS byte stream out to many HTTP clients. Output is cut on 188-byte packet
 * boundaries, and a client that joins mid-stream first receives the latest PAT and PMT and the
 * packets since the last keyframe (the random-access indicator), so a decoder can start at once
 * instead of waiting for the next keyframe, as many encoders' own HTTP outputs do.
 */

const PACKET = 188;
const SYNC = 0x47;
/** A GOP cache beyond this is not a GOP cache any more (a source with no keyframes). */
const MAX_CACHE_BYTES = 4 * 1024 * 1024;

export interface TsSubscriber {
  /** Returns false when the client cannot keep up and should be dropped. */
  write(chunk: Buffer): boolean;
}

function pidOf(packet: Buffer): number {
  return ((packet[1]! & 0x1f) << 8) | packet[2]!;
}

function isRandomAccess(packet: Buffer): boolean {
  const adaptation = (packet[3]! >> 4) & 0x3;
  if (adaptation !== 2 && adaptation !== 3) return false;
  if (packet[4]! === 0) return false;
  return (packet[5]! & 0x40) !== 0;
}

export class TsBroadcast {
  private readonly subscribers = new Set<TsSubscriber>();
  private remainder: Buffer = Buffer.alloc(0);
  private pat: Buffer | null = null;
  private pmtPid: number | null = null;
  private pmt: Buffer | null = null;
  private gop: Buffer[] = [];
  private gopBytes = 0;

  get size(): number {
    return this.subscribers.size;
  }

  add(subscriber: TsSubscriber): void {
    const head = [this.pat, this.pmt, ...this.gop].filter((b): b is Buffer => b !== null);
    if (head.length > 0 && !subscriber.write(Buffer.concat(head))) return;
    this.subscribers.add(subscriber);
  }

  remove(subscriber: TsSubscriber): void {
    this.subscribers.delete(subscriber);
  }

  push(chunk: Buffer): void {
    let data = this.remainder.length > 0 ? Buffer.concat([this.remainder, chunk]) : chunk;
    // Resynchronise if the stream is not packet-aligned (it always is from ffmpeg; be safe).
    let start = 0;
    while (start < data.length && data[start] !== SYNC) start++;
    data = data.subarray(start);
    const whole = data.length - (data.length % PACKET);
    this.remainder = Buffer.from(data.subarray(whole));
    if (whole === 0) return;
    const packets = data.subarray(0, whole);
    for (let offset = 0; offset < whole; offset += PACKET) {
      this.remember(Buffer.from(packets.subarray(offset, offset + PACKET)));
    }
    for (const subscriber of [...this.subscribers]) {
      if (!subscriber.write(Buffer.from(packets))) this.subscribers.delete(subscriber);
    }
  }

  private remember(packet: Buffer): void {
    const pid = pidOf(packet);
    if (pid === 0) {
      this.pat = packet;
      // PAT: pointer field, then table; first program's PMT pid at bytes 13..14 of the section.
      const pointer = packet[4]!;
      const section = 5 + pointer;
      this.pmtPid = ((packet[section + 10]! & 0x1f) << 8) | packet[section + 11]!;
      return;
    }
    if (pid === this.pmtPid) {
      this.pmt = packet;
      return;
    }
    if (isRandomAccess(packet)) {
      this.gop = [];
      this.gopBytes = 0;
    }
    if (this.gopBytes + PACKET <= MAX_CACHE_BYTES) {
      this.gop.push(packet);
      this.gopBytes += PACKET;
    }
  }

  reset(): void {
    this.remainder = Buffer.alloc(0);
    this.pat = null;
    this.pmt = null;
    this.pmtPid = null;
    this.gop = [];
    this.gopBytes = 0;
  }
}
