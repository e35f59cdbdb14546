import { describe, expect, it } from "vitest";
import { clause, DOUBLED_PUNCTUATION } from "./text.js";

describe("clause", () => {
  it("drops the closing punctuation of a typed part so the composed sentence never doubles it", () => {
    expect(`退回修改：${clause("请在“工作成效”中补充数据。")}。请修改后重新提交`).toBe("退回修改：请在“工作成效”中补充数据。请修改后重新提交");
    expect(clause("  不符合要求！！ ")).toBe("不符合要求");
    expect(clause("好的，")).toBe("好的");
    expect(clause(null)).toBe("");
    expect(clause("（见附件）")).toBe("（见附件）");
  });
  it("finds doubled punctuation", () => {
    expect(DOUBLED_PUNCTUATION.test("数据。。请修改")).toBe(true);
    expect(DOUBLED_PUNCTUATION.test("数据，，请修改")).toBe(true);
    expect(DOUBLED_PUNCTUATION.test("数据。请修改，谢谢")).toBe(false);
  });
});
