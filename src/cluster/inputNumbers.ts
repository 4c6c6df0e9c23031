/**
 * Input numbers: item k of market-stream message s is `s · 2^20 + k`, so inputs order by
 * (message, position in it) and one number fits a double exactly for 2^33 messages.
 */
export const K_SPAN = 2 ** 20;
export const inputSeq = (line: number, k: number): number => line * K_SPAN + k;
/** The watermark meaning "every input of messages ≤ line is done". */
export const lineDone = (line: number): number => line * K_SPAN + K_SPAN - 1;
/** The market message an input number belongs to. */
export const lineOf = (seq: number): number => Math.floor(seq / K_SPAN);
