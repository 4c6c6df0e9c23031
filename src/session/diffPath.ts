// Field-by-field comparison of two output events (parsed JSON), for Compare.

/** The first path where `a` and `b` differ (numbers within `tol`), or undefined when equal. */
export function diffPath(a: unknown, b: unknown, tol: number, path: string): string | undefined {
  if (typeof a === 'number' && typeof b === 'number') {
    if (a === b || (Number.isNaN(a) && Number.isNaN(b))) return undefined;
    return Math.abs(a - b) <= tol ? undefined : path;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return `${path}.length`;
    for (let i = 0; i < a.length; i++) {
      const d = diffPath(a[i], b[i], tol, `${path}[${i}]`);
      if (d !== undefined) return d;
    }
    return undefined;
  }
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) {
      const d = diffPath(
        (a as Record<string, unknown>)[k],
        (b as Record<string, unknown>)[k],
        tol,
        path ? `${path}.${k}` : k,
      );
      if (d !== undefined) return d;
    }
    return undefined;
  }
  return a === b ? undefined : path;
}
