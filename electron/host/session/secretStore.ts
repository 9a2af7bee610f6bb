import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * Where the host keeps what survives a restart of the console: the refresh token and the unlock
 * verifier. The web host keeps it in memory only (a browser tab is not a place for it); Electron
 * encrypts it with the operating system's key store (`safeStorage`) before it touches the disk.
 */
export interface SecretStore {
  load(): Promise<string | null>;
  save(secret: string): Promise<void>;
  clear(): Promise<void>;
}

export class MemorySecretStore implements SecretStore {
  private value: string | null = null;
  async load(): Promise<string | null> {
    return this.value;
  }
  async save(secret: string): Promise<void> {
    this.value = secret;
  }
  async clear(): Promise<void> {
    this.value = null;
  }
}

/** Encrypts and decrypts; Electron's safeStorage in the shell, a test cipher in tests. */
export interface SecretCipher {
  encrypt(plain: string): Buffer;
  decrypt(sealed: Buffer): string;
}

/**
 * A file holding only ciphertext. Written to a temporary name and renamed, so a crash mid-write
 * leaves the old file or the new one, never half of one; mode 0600 all the same.
 */
export class EncryptedFileSecretStore implements SecretStore {
  constructor(
    private readonly path: string,
    private readonly cipher: SecretCipher,
  ) {}

  async load(): Promise<string | null> {
    let sealed: Buffer;
    try {
      sealed = await readFile(this.path);
    } catch {
      return null;
    }
    try {
      return this.cipher.decrypt(sealed);
    } catch {
      // Another user's key store, or a damaged file: sign in again rather than fail to start.
      await this.clear();
      return null;
    }
  }

  async save(secret: string): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true, mode: 0o700 });
    const tmp = `${this.path}.${process.pid}.tmp`;
    await writeFile(tmp, this.cipher.encrypt(secret), { mode: 0o600 });
    await rename(tmp, this.path);
  }

  async clear(): Promise<void> {
    await rm(this.path, { force: true });
  }
}
