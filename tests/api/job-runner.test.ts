import { afterAll, beforeAll, expect, it } from "vitest";
import { openDb, type Db } from "../../apps/server/src/db/data-source.js";
import { enqueueJob, JobRunner, type JobKind } from "../../apps/server/src/jobs/job-runner.js";
import { jobKinds } from "../../apps/server/src/jobs/job-kinds.js";
import { INTERRUPTED, TEACHER_IMPORT_KIND } from "../../apps/server/src/modules/import/teacher-import.service.js";
import { describeEachDb } from "../support/server.js";
import { createThrowawayDatabase } from "../support/pg.js";

const KIND = "test-count";

/** A job kind that records every run of a job (which runner, whether taken over) and finishes it. */
function countingKind(runs: { jobId: string; runner: string; takenOver: boolean }[], runner: string): JobKind {
  return {
    kind: KIND,
    async run(db, job) {
      // A statement between claim and end, so the other runner gets its turn meanwhile.
      await db.one(`SELECT count(*) FROM job WHERE kind = $1`, [KIND]);
      runs.push({ jobId: job.id, runner, takenOver: job.takenOver });
      await db.exec(`UPDATE job SET state = 'DONE', progress = 1, updated_at = now() WHERE id = $1`, [job.id]);
    },
  };
}

/** Runs jobs until the runner finds none left. */
async function drain(r: JobRunner): Promise<number> {
  let n = 0;
  while (await r.runNext()) n++;
  return n;
}

describeEachDb("job runner", (variant) => {
  // Two database handles on one database, as two API processes have (PGlite: one embedded
  // database has one handle, which both runners share).
  let a: Db;
  let b: Db;
  let dispose: () => Promise<void>;

  beforeAll(async () => {
    if (variant === "pglite") {
      a = b = await openDb({ inMemory: true });
      dispose = () => a.close();
    } else {
      const tmp = await createThrowawayDatabase();
      a = await openDb({ databaseUrl: tmp.url });
      b = await openDb({ databaseUrl: tmp.url });
      dispose = async () => {
        await a.close();
        await b.close();
        await tmp.drop();
      };
    }
  });
  afterAll(async () => {
    await dispose?.();
  });

  it("two runners on one database never run a job twice, and run every job", async () => {
    const runs: { jobId: string; runner: string; takenOver: boolean }[] = [];
    const ids: string[] = [];
    for (let i = 0; i < 40; i++) ids.push(await enqueueJob(a, { kind: KIND, createdBy: null, payload: { i } }));
    const one = new JobRunner(a, [countingKind(runs, "one")], { node: "node-a" });
    const two = new JobRunner(b, [countingKind(runs, "two")], { node: "node-b" });
    const [n1, n2] = await Promise.all([drain(one), drain(two)]);
    expect(n1 + n2).toBe(ids.length);
    expect(runs.map((r) => r.jobId).sort()).toEqual([...ids].sort());
    expect(runs.every((r) => !r.takenOver)).toBe(true);
    const states = await a.rows<{ state: string; attempts: number; n: number }>(
      `SELECT state, attempts, count(*)::int AS n FROM job WHERE kind = $1 GROUP BY state, attempts`,
      [KIND],
    );
    expect(states).toEqual([{ state: "DONE", attempts: 1, n: ids.length }]);
  });

  it("takes over a running job whose worker stopped beating, and leaves a live one alone", async () => {
    const runs: { jobId: string; runner: string; takenOver: boolean }[] = [];
    const dead = await enqueueJob(a, { kind: KIND, createdBy: null });
    const live = await enqueueJob(a, { kind: KIND, createdBy: null });
    await a.exec(`UPDATE job SET state = 'RUNNING', worker = 'stopped-process', attempts = 1, updated_at = now() - interval '3 minutes' WHERE id = $1`, [dead]);
    await a.exec(`UPDATE job SET state = 'RUNNING', worker = 'live-process', attempts = 1, updated_at = now() WHERE id = $1`, [live]);
    const runner = new JobRunner(b, [countingKind(runs, "taker")], { node: "node-b" });
    expect(await runner.runNext()).toBe(dead);
    expect(await runner.runNext()).toBeNull();
    expect(runs).toEqual([{ jobId: dead, runner: "taker", takenOver: true }]);
    const rows = await a.rows<{ id: string; state: string; worker: string; attempts: number }>(
      `SELECT id::text AS id, state, worker, attempts FROM job WHERE id = ANY($1::bigint[]) ORDER BY id`,
      [[dead, live]],
    );
    expect(rows).toEqual([
      { id: dead, state: "DONE", worker: runner.workerId, attempts: 2 },
      { id: live, state: "RUNNING", worker: "live-process", attempts: 1 },
    ]);
  });

  it("runs a job pinned to a node only on that node", async () => {
    const runs: { jobId: string; runner: string; takenOver: boolean }[] = [];
    const pinned = await enqueueJob(a, { kind: KIND, createdBy: null, node: "node-a" });
    const elsewhere = new JobRunner(b, [countingKind(runs, "b")], { node: "node-b" });
    expect(await elsewhere.runNext()).toBeNull();
    const here = new JobRunner(a, [countingKind(runs, "a")], { node: "node-a" });
    expect(await here.runNext()).toBe(pinned);
    expect(runs).toEqual([{ jobId: pinned, runner: "a", takenOver: false }]);
  });

  it("reports a teacher import taken over from a stopped process as interrupted instead of running it again", async () => {
    const id = await enqueueJob(a, {
      kind: TEACHER_IMPORT_KIND,
      createdBy: null,
      result: { phase: "VALIDATING" },
      payload: { file: { path: "/nonexistent/upload", fileName: "t.csv", bytes: 1 }, mode: "all", caller: { userId: "1", scopePath: "/", role: "PROVINCE_ADMIN", unitId: "1" } },
    });
    await a.exec(`UPDATE job SET state = 'RUNNING', worker = 'stopped-process', updated_at = now() - interval '3 minutes' WHERE id = $1`, [id]);
    const runner = new JobRunner(b, jobKinds, { node: "node-b" });
    expect(await runner.runNext()).toBe(id);
    const row = await a.one<{ state: string; error: string }>(`SELECT state, error FROM job WHERE id = $1`, [id]);
    expect(row).toEqual({ state: "FAILED", error: INTERRUPTED });
  });

  it("a stopped runner claims nothing more", async () => {
    const runs: { jobId: string; runner: string; takenOver: boolean }[] = [];
    const runner = new JobRunner(a, [countingKind(runs, "stopped")], { node: "node-a" });
    runner.start();
    expect(await runner.stop(Date.now() + 60_000)).toBe(true);
    const id = await enqueueJob(a, { kind: KIND, createdBy: null });
    const other = new JobRunner(b, [countingKind(runs, "other")], { node: "node-b" });
    expect(await other.runNext()).toBe(id);
    expect(runs.filter((r) => r.runner === "stopped")).toEqual([]);
  });
});
