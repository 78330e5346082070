/**
 * Records kept in this browser (IndexedDB), newest first, at most `limit` of them: one object store per
 * database, keyed by `keyPath`, indexed by `savedAt`. Used for finished sweeps (sweep-store.ts) and for
 * documents a link cannot carry (upload-store.ts). Without IndexedDB (Node, a private window that refuses
 * it) nothing is kept and nothing fails: `put` does nothing, `get` finds nothing.
 */
export interface KeptShelf<T extends { savedAt: number }> {
  put(record: T): Promise<void>;
  get(key: string): Promise<T | null>;
}

export function keptShelf<T extends { savedAt: number }>(db: string, store: string, keyPath: string, limit: number): KeptShelf<T> {
  const open = (): Promise<IDBDatabase | null> => {
    if (typeof indexedDB === 'undefined') return Promise.resolve(null);
    return new Promise((resolve) => {
      try {
        const req = indexedDB.open(db, 1);
        req.onupgradeneeded = () => req.result.createObjectStore(store, { keyPath }).createIndex('savedAt', 'savedAt');
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => resolve(null);
      } catch {
        resolve(null);
      }
    });
  };
  return {
    async put(record) {
      const conn = await open();
      if (!conn) return;
      try {
        const tx = conn.transaction(store, 'readwrite');
        const os = tx.objectStore(store);
        os.put(record);
        // newest first, by keys only (the records stay on disk): past the first `limit`, delete
        let seen = 0;
        const cursor = os.index('savedAt').openKeyCursor(null, 'prev');
        cursor.onsuccess = () => {
          const c = cursor.result;
          if (!c) return;
          if (++seen > limit) os.delete(c.primaryKey);
          c.continue();
        };
        await new Promise<void>((resolve, reject) => {
          tx.oncomplete = () => resolve();
          tx.onerror = () => reject(tx.error);
          tx.onabort = () => reject(tx.error);
        });
      } catch {
        // storage full or refused: the record is still on the page
      } finally {
        conn.close();
      }
    },
    async get(key) {
      const conn = await open();
      if (!conn) return null;
      try {
        const req = conn.transaction(store).objectStore(store).get(key);
        return await new Promise<T | null>((resolve) => {
          req.onsuccess = () => resolve((req.result as T | undefined) ?? null);
          req.onerror = () => resolve(null);
        });
      } catch {
        return null;
      } finally {
        conn.close();
      }
    },
  };
}
