import { ElMessageBox } from "element-plus";
import { h } from "vue";
import { gql } from "@/api/client";
import { CampaignOpeningWarningsQuery } from "./campaigns.gql";

/**
 * Asks the province admin to confirm opening a campaign, listing what the server warns about
 * (passed stage dates, units without a reviewer, campaigns still open). Resolves true to open.
 */
export async function confirmOpening(id: string, title: string, reopen: boolean): Promise<boolean> {
  const warnings = (await gql(CampaignOpeningWarningsQuery, { id })).campaignOpeningWarnings;
  const intro = reopen ? `重新开放「${title}」？` : `发布「${title}」？发布后各级用户即可看到该活动，并按时间安排申报和审核。`;
  const message = warnings.length
    ? h("div", { class: "opening-check" }, [
        h("p", intro),
        h("p", { style: "margin: 8px 0 4px; font-weight: 600" }, "请先核对以下问题："),
        h(
          "ul",
          { style: "margin: 0; padding-left: 20px", "aria-label": "开启前的提醒" },
          warnings.map((w) => h("li", { "data-code": w.code, style: "margin: 2px 0" }, w.message)),
        ),
      ])
    : intro;
  try {
    await ElMessageBox.confirm(message, reopen ? "重新开放活动" : "发布活动", {
      confirmButtonText: warnings.length ? "仍然开启" : "确认",
      cancelButtonText: "取消",
      type: warnings.length ? "warning" : "info",
    });
    return true;
  } catch {
    return false;
  }
}
