import { DomainError } from "../errors.js";

/**
 * The 参赛须知 an applicant accepts when submitting (notice of 2023-04-03, 三（一）): the content
 * must be free of copyright disputes and harmful material, and the applicant agrees that what
 * they upload is open free of charge to the province's teachers and students. Each wording has a
 * version id; a submission records the version and the text it accepted. A changed wording is a
 * new version (never an edit of an old one), and the current one is what submit requires.
 */
export interface ConsentText {
  version: string;
  title: string;
  /** The numbered items, as the notice has them. */
  items: readonly string[];
  /** The whole wording (the items, one a line), stored with each acceptance. */
  text: string;
}

function consentText(version: string, title: string, items: string[]): ConsentText {
  return Object.freeze({ version, title, items: Object.freeze(items), text: items.map((s, i) => `${i + 1}. ${s}`).join("\n") });
}

export const CONSENT_TEXTS: Readonly<Record<string, ConsentText>> = Object.freeze({
  "2023-04": consentText("2023-04", "参赛须知", [
    "之江汇教育广场空间中上传的内容不得有版权争议或含有任何不良信息，一经发现或举报，经核实将删除内容，并取消参与活动资格，相关责任由建设者本人自行承担。",
    "活动参与者同意所上传资源内容免费向全省师生开放，并将择优推荐参加国家级相关活动。",
  ]),
});

/** The version a submission must accept now. */
export const CURRENT_CONSENT_VERSION = "2023-04";

export function currentConsent(): ConsentText {
  return CONSENT_TEXTS[CURRENT_CONSENT_VERSION]!;
}

/** The checkbox label of the submit step: 「我已阅读并同意：…」 (the items are shown above it). */
export function consentCheckboxLabel(c: ConsentText = currentConsent()): string {
  return `我已阅读并同意：以上《${c.title}》，所上传资源内容免费向全省师生开放`;
}

/**
 * Checks the version an applicant accepted with a (re)submission: none is CONSENT_REQUIRED, an
 * unknown or older one CONSENT_OUTDATED (the wording changed since they loaded the form).
 * Returns the accepted text to record.
 */
export function checkConsent(version: string | null | undefined, field = "consentVersion"): ConsentText {
  const v = typeof version === "string" ? version.trim() : "";
  if (!v) throw new DomainError("CONSENT_REQUIRED", `提交申报须先阅读并同意《参赛须知》（字段「${field}」）`, field);
  if (v !== CURRENT_CONSENT_VERSION) {
    throw new DomainError(
      "CONSENT_OUTDATED",
      `《参赛须知》已更新（当前版本${CURRENT_CONSENT_VERSION}，您同意的是${CONSENT_TEXTS[v] ? "旧版本" : "未知版本"}${v.slice(0, 40)}），请刷新后重新阅读并同意（字段「${field}」）`,
      field,
      { currentVersion: CURRENT_CONSENT_VERSION },
    );
  }
  return currentConsent();
}
