import { REVIEW_LEVEL_LABELS } from "@zjh/domain/campaign/types";
import { APPLICATION_STATE_LABELS, PIPELINE_ACTION_LABELS } from "@zjh/domain/pipeline/transition";
import type { ApplicationState } from "@/gql/graphql";

export const LEVEL_LABELS = REVIEW_LEVEL_LABELS;
export const STATE_LABELS = APPLICATION_STATE_LABELS;

export const STATE_TAG: Record<ApplicationState, "primary" | "success" | "warning" | "danger" | "info"> = {
  DRAFT: "info",
  SUBMITTED: "primary",
  PENDING: "primary",
  AT_PROVINCE: "primary",
  EXPERT_REVIEW: "warning",
  RETURNED: "warning",
  REJECTED: "danger",
  FINALIZED: "success",
  NOT_SELECTED: "info",
  DISQUALIFIED: "danger",
  WITHDRAWN: "info",
};

/** How each reviewer action is confirmed: what to ask, and whether a comment is required. */
export const REVIEW_ACTIONS: Record<
  "recommend" | "return" | "reject" | "withdrawRecommendation" | "disqualify",
  { label: string; button: "primary" | "warning" | "danger" | "default"; comment: "optional" | "required"; prompt: string; confirm: string }
> = {
  recommend: {
    label: PIPELINE_ACTION_LABELS.recommend,
    button: "primary",
    comment: "optional",
    prompt: "推荐至上一级，将占用本级推荐名额。可填写推荐意见（选填）。",
    confirm: "确认推荐",
  },
  return: {
    label: PIPELINE_ACTION_LABELS.return,
    button: "warning",
    comment: "required",
    prompt: "退回申报人修改，重新提交后将从第一级重新审核，已占用的名额将释放。请填写退回意见。",
    confirm: "确认退回",
  },
  reject: {
    label: PIPELINE_ACTION_LABELS.reject,
    button: "danger",
    comment: "required",
    prompt: "不予推荐后本次活动中该申报终止，不可恢复。请填写理由。",
    confirm: "确认不予推荐",
  },
  withdrawRecommendation: {
    label: PIPELINE_ACTION_LABELS.withdrawRecommendation,
    button: "default",
    comment: "optional",
    prompt: "在上一级处理前撤回本级推荐，名额将释放，申报回到本级待审。可填写说明（选填）。",
    confirm: "确认撤回推荐",
  },
  disqualify: {
    label: PIPELINE_ACTION_LABELS.disqualify,
    button: "danger",
    comment: "required",
    prompt: "因版权问题或被举报内容取消该申报的资格（将记入审计日志）。请填写原因。",
    confirm: "确认取消资格",
  },
};
