/** Chart colours: target met, below target, and a neutral series. */
export const COLORS = { met: "#67c23a", below: "#e6a23c", none: "#c0c4cc", primary: "#409eff", line: "#f56c6c" } as const;

