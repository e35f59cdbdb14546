/**
 * Composing Chinese messages from parts someone typed (a reviewer's comment, a reason): the part
 * goes into a sentence the system finishes, so its own closing punctuation is dropped there —
 * "请补充数据。" + "。请修改后重新提交" must read "请补充数据。请修改后重新提交", never "数据。。请修改".
 */

/** Closing and pausing punctuation a typed part may end with (full-width and ASCII). */
const TRAILING = /[\s。．.，,；;：:、！!？?…]+$/u;

/** The typed text trimmed, without the punctuation it ends with, ready to be followed by the system's own. */
export function clause(text: string | null | undefined): string {
  return (text ?? "").trim().replace(TRAILING, "");
}

/** Doubled or clashing sentence punctuation (。。 ，， 。， ，。 and the like), which a composed message must never contain. */
export const DOUBLED_PUNCTUATION = /[。，；：！？][。，；：！？]/u;
