// The request thread's side of a long-lived worker thread that answers messages one by one (the scrypt thread, the
// filtered-export thread). Each question carries an id; the thread's answer carries the same id back. The thread starts
// on the first question and again after it ended or crashed; whatever was waiting when it went away is rejected, so no
// caller waits forever. An idle thread never holds the process open; with `holdOpen`, one with answers still owed does
// (a script that hashes a password and exits must get its hash).
import type { Worker } from 'node:worker_threads';

export interface Question {
  id: number;
}
export interface Answer {
  id: number;
}

export interface ReplyThreadOptions {
  /** Starts the thread (startTsWorker, or a Worker of its own). */
  start(): Worker;
  /** Keeps the process open while answers are owed. */
  holdOpen?: boolean;
  /** The thread's own failures (an uncaught error, an exit), beside the rejection of whatever was waiting. */
  onError?(err: Error): void;
  /** Names the thread in the errors of those left waiting. */
  name: string;
}

export class ReplyThread<Q extends Question, A extends Answer> {
  private worker: Worker | null = null;
  private lastId = 0;
  private readonly waiting = new Map<number, { resolve(a: A): void; reject(e: Error): void }>();

  constructor(private readonly opts: ReplyThreadOptions) {}

  /** A fresh id for a question (or for a conversation of several, like an export's cursor). */
  newId(): number {
    this.lastId += 1;
    return this.lastId;
  }

  /** Sends a question and resolves with the answer that carries its id. */
  ask(question: Q): Promise<A> {
    const w = this.thread();
    return new Promise<A>((resolve, reject) => {
      this.waiting.set(question.id, { resolve, reject });
      if (this.opts.holdOpen) w.ref();
      w.postMessage(question);
    });
  }

  /** Sends a message that has no answer, starting the thread if it is not running. */
  tell(message: Q): void {
    this.thread().postMessage(message);
  }

  /** Sends a message that has no answer only to a running thread (a new one would not know what it is about). */
  tellIfRunning(message: Q): void {
    this.worker?.postMessage(message);
  }

  /** How many answers are owed. */
  get pending(): number {
    return this.waiting.size;
  }

  /** Ends the thread; whatever waited is rejected, and the next question starts another. */
  async stop(): Promise<void> {
    const w = this.worker;
    this.worker = null;
    this.fail(new Error(`${this.opts.name} stopped`));
    if (w) await w.terminate();
  }

  private thread(): Worker {
    if (this.worker) return this.worker;
    const w = this.opts.start();
    w.on('message', (a: A) => {
      const job = this.waiting.get(a.id);
      if (!job) return;
      this.waiting.delete(a.id);
      if (this.waiting.size === 0) w.unref();
      job.resolve(a);
    });
    w.on('error', (err: Error) => {
      this.opts.onError?.(err);
      this.ended(w, err);
    });
    w.on('exit', (code: number) => this.ended(w, new Error(`${this.opts.name} exited (${code})`)));
    w.unref();
    this.worker = w;
    return w;
  }

  private ended(w: Worker, err: Error): void {
    if (this.worker !== w) return; // stopped on purpose, or already replaced
    this.worker = null;
    this.fail(err);
  }

  private fail(err: Error): void {
    const jobs = [...this.waiting.values()];
    this.waiting.clear();
    for (const job of jobs) job.reject(err);
  }
}
