import { flushPromises, mount } from "@vue/test-utils";
import { afterEach, describe, expect, it } from "vitest";
import { ApiError } from "@/api/client";
import { REVIEW_ACTIONS } from "@/utils/pipeline";
import ActionDialog from "./ActionDialog.vue";

type Run = (comment: string) => Promise<void>;

async function open(spec: (typeof REVIEW_ACTIONS)[keyof typeof REVIEW_ACTIONS], run: Run) {
  const wrapper = mount(ActionDialog, { props: { modelValue: true, spec, subject: "张三的申报", run },
    attachTo: document.body,
    // Real transitions, so the form item's error message (inside a transition group) renders.
    global: { stubs: { transition: false, "transition-group": false } },
  });
  await flushPromises();
  const body = () => document.body;
  const textarea = () => body().querySelector<HTMLTextAreaElement>("textarea[aria-label='审核意见']")!;
  const confirmButton = () => [...body().querySelectorAll<HTMLButtonElement>(".el-dialog__footer button")].find((b) => b.textContent?.includes(spec.confirm))!;
  const type = async (text: string) => {
    textarea().value = text;
    textarea().dispatchEvent(new Event("input"));
    await flushPromises();
  };
  const confirm = async () => {
    confirmButton().click();
    await flushPromises();
  };
  return { wrapper, body, textarea, type, confirm };
}

afterEach(() => {
  document.body.innerHTML = "";
});

describe("ActionDialog", () => {
  it("titles the dialog with the action and the subject and shows its prompt", async () => {
    const d = await open(REVIEW_ACTIONS.recommend, async () => {});
    expect(d.body().querySelector(".el-dialog__title")?.textContent).toBe("推荐：张三的申报");
    expect(d.body().textContent).toContain(REVIEW_ACTIONS.recommend.prompt);
    expect(d.body().textContent).toContain("意见（选填）");
    d.wrapper.unmount();
  });

  it("a required comment left empty is refused in the form, and nothing is sent", async () => {
    const calls: string[] = [];
    const d = await open(REVIEW_ACTIONS.return, async (c) => void calls.push(c));
    expect(d.body().textContent).toContain("意见（必填）");
    await d.type("   ");
    await d.confirm();
    expect(calls).toEqual([]);
    // The comment field is marked wrong (Element Plus shows the message under it).
    expect(d.body().querySelector(".el-form-item.is-error textarea[aria-label='审核意见']")).not.toBeNull();
    expect(d.wrapper.emitted("update:modelValue")).toBeUndefined();
    d.wrapper.unmount();
  });

  it("an optional comment may stay empty", async () => {
    const calls: string[] = [];
    const d = await open(REVIEW_ACTIONS.recommend, async (c) => void calls.push(c));
    await d.confirm();
    expect(calls).toEqual([""]);
    expect(d.body().querySelector(".el-form-item.is-error")).toBeNull();
    expect(d.wrapper.emitted("done")).toHaveLength(1);
    d.wrapper.unmount();
  });

  it("sends the trimmed comment, then closes and reports done", async () => {
    const calls: string[] = [];
    const d = await open(REVIEW_ACTIONS.return, async (c) => void calls.push(c));
    await d.type("  请补充照片  ");
    await d.confirm();
    expect(calls).toEqual(["请补充照片"]);
    expect(d.wrapper.emitted("update:modelValue")).toEqual([[false]]);
    expect(d.wrapper.emitted("done")).toHaveLength(1);
    d.wrapper.unmount();
  });

  it("a refusal stays in the dialog with the server's message and the comment kept", async () => {
    const d = await open(REVIEW_ACTIONS.reject, async () => {
      throw new ApiError("QUOTA_EXCEEDED", "本级推荐名额已用完", "reason");
    });
    await d.type("材料不全");
    await d.confirm();
    expect(d.body().querySelector("[data-testid='action-error']")?.textContent).toContain("本级推荐名额已用完");
    // The server named the comment field: it is marked wrong too.
    expect(d.body().querySelector(".el-form-item.is-error textarea[aria-label='审核意见']")).not.toBeNull();
    expect(d.textarea().value).toBe("材料不全");
    expect(d.wrapper.emitted("done")).toBeUndefined();
    d.wrapper.unmount();
  });

  it("cancel asks to close without sending", async () => {
    const calls: string[] = [];
    const d = await open(REVIEW_ACTIONS.recommend, async (c) => void calls.push(c));
    [...d.body().querySelectorAll<HTMLButtonElement>(".el-dialog__footer button")].find((b) => b.textContent?.includes("取消"))!.click();
    await flushPromises();
    expect(calls).toEqual([]);
    expect(d.wrapper.emitted("update:modelValue")).toEqual([[false]]);
    d.wrapper.unmount();
  });
});
