/** Chinese names of platform event types, as the points log shows them (the export uses the same). */
export const EVENT_TYPE_LABELS: Record<string, string> = {
  login: "登录",
  profile_item: "完善资料",
  mobile_op: "移动端操作",
  resource_spread: "资源传播",
  resource_review: "资源审核",
  resource_deleted: "资源删除",
  lesson: "授课",
  task_published: "发布学习任务",
  task_engaged: "学生参与任务",
  interaction: "师生互动",
  app_use: "使用省级应用",
};

export function eventTypeLabel(t: string | null | undefined): string {
  return t ? (EVENT_TYPE_LABELS[t] ?? t) : "—";
}

/** Chart colours: target met, below target, and a neutral series. */
export const COLORS = { met: "#67c23a", below: "#e6a23c", none: "#c0c4cc", primary: "#409eff", line: "#f56c6c" } as const;

/**
 * The featured-space rubric's mobile item (Annex 2): 1 point per full 10% of the year's points
 * earned on mobile, at most 5.
 */
export function mobileRubricPoints(share: number): number {
  return Math.min(5, Math.floor(Math.max(0, share) * 10 + 1e-9));
}
