/** One priced line of the bill: what, how many a month, and what it costs. */
export interface Line {
  item: string;
  quantity: number;
  usd: number;
}

export const total = (lines: Line[]) => lines.reduce((sum, line) => sum + line.usd, 0);
