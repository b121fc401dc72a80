//! The helper threads the library starts natively (a schema compile ahead
//! of validation, template parsing and manifest reading shared with a
//! second core, the command line's render thread), and a helper that
//! stays for one more job once its own work is under way (`spawn_staying`,
//! `spawn_or_reuse`): the command line's template parse helper then
//! compiles the schemas. That helper can be started before its work is
//! known (`prestart`), so that it runs by the time the work comes.

/// A builder for a helper thread named `name`, with `stack_bytes` of
/// stack (reserved, not committed).
#[cfg(not(target_arch = "wasm32"))]
fn builder(name: &str, stack_bytes: usize) -> std::thread::Builder {
    std::thread::Builder::new()
        .name(name.into())
        .stack_size(stack_bytes)
}

/// Starts `work` on a helper thread named `name` (with `stack_bytes` of
/// stack).
#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn spawn<T: Send + 'static>(
    name: &str,
    stack_bytes: usize,
    work: impl FnOnce() -> T + Send + 'static,
) -> std::io::Result<std::thread::JoinHandle<T>> {
    builder(name, stack_bytes).spawn(work)
}

/// Runs `helper_work` on a helper thread named `name` (with `stack_bytes`
/// of stack) while this thread runs `own_work`; both results, or `None` if
/// no thread could be started or the helper panicked.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn with_helper<H: Send, O>(
    name: &str,
    stack_bytes: usize,
    helper_work: impl FnOnce() -> H + Send,
    own_work: impl FnOnce() -> O,
) -> Option<(H, O)> {
    std::thread::scope(|scope| {
        let helper = builder(name, stack_bytes)
            .spawn_scoped(scope, helper_work)
            .ok()?;
        let own = own_work();
        Some((helper.join().ok()?, own))
    })
}

/// What a job leaves to run on its thread once that thread's own work is
/// done ([`spawn_or_reuse`]): it never leaves that thread.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) type Afterwards = Box<dyn FnOnce()>;

/// Work handed to a helper that is already running ([`spawn_staying`]).
#[cfg(not(target_arch = "wasm32"))]
type Job = Box<dyn FnOnce() -> Option<Afterwards> + Send>;

/// A job on its way to a staying helper.
#[cfg(not(target_arch = "wasm32"))]
struct Handed {
    job: Job,
    /// Whether the job may run between the steps of the helper's work
    /// ([`run_handed_job`]) rather than after it.
    between_steps: bool,
}

/// Work for a helper started ahead of it ([`prestart`]).
#[cfg(not(target_arch = "wasm32"))]
type Work = Box<dyn FnOnce() + Send>;

/// A helper [`prestart`] started: where to send its work, and how much
/// stack it has.
#[cfg(not(target_arch = "wasm32"))]
struct Prestarted {
    work: std::sync::mpsc::Sender<Work>,
    stack_bytes: usize,
}

/// The helper [`prestart`] started, until a [`spawn_staying`] takes it.
#[cfg(not(target_arch = "wasm32"))]
static PRESTARTED: std::sync::Mutex<Option<Prestarted>> = std::sync::Mutex::new(None);

/// Starts a helper thread named `name` (with `stack_bytes` of stack)
/// before there is work for it: the next
/// [`spawn_staying`], from any thread, hands its work to it instead of
/// starting a thread then. For a process that knows early that it will
/// want a helper: starting a thread means waking an idle core, which can
/// take milliseconds in a virtual machine whose host must schedule that
/// core again (the `chartroom` command's parse helper was seen starting
/// 0.05 to 4.6 ms after it was asked for); started first thing, the
/// helper is running by the time its work comes. It waits for it by
/// spinning for up to `spin`, yielding its core to any other thread that
/// needs it, so the core stays awake, and then blocked. Returns whether
/// the thread started.
#[cfg(not(target_arch = "wasm32"))]
pub fn prestart(name: &str, stack_bytes: usize, spin: std::time::Duration) -> bool {
    let (work, next) = std::sync::mpsc::channel::<Work>();
    let started = spawn_detached(name, stack_bytes, move || {
        detect_cpu_features();
        if let Ok(work) = recv_awake(&next, spin) {
            work();
        }
    });
    if started.is_err() {
        return false;
    }
    if let Ok(mut slot) = PRESTARTED.lock() {
        *slot = Some(Prestarted { work, stack_bytes });
    }
    true
}

/// How long a thread waiting for another's work keeps its core awake
/// before it blocks ([`recv_awake`]): longer than reading a large chart's
/// files takes.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) const STAY_AWAKE: std::time::Duration = std::time::Duration::from_millis(10);

/// [`std::sync::mpsc::Receiver::recv`] for a thread whose core has
/// nothing else to do meanwhile: it spins for up to `spin` (yielding its
/// core to any other thread that needs it) before it blocks, so that what
/// it waits for is taken the moment it comes. A blocked thread's idle core
/// must be woken when the message comes, and in a virtual machine that
/// means the host scheduling it again: the `chartroom` command's parse
/// helper, blocked while the chart's files were read, took its texts 0.2 ms
/// after they were sent (median of 30 traefik runs).
#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn recv_awake<T>(
    channel: &std::sync::mpsc::Receiver<T>,
    spin: std::time::Duration,
) -> Result<T, std::sync::mpsc::RecvError> {
    use std::sync::mpsc::TryRecvError;
    let until = std::time::Instant::now() + spin;
    loop {
        match channel.try_recv() {
            Ok(message) => return Ok(message),
            Err(TryRecvError::Disconnected) => return Err(std::sync::mpsc::RecvError),
            Err(TryRecvError::Empty) if std::time::Instant::now() < until => {
                std::thread::yield_now();
            }
            Err(TryRecvError::Empty) => return channel.recv(),
        }
    }
}

/// Has std detect the CPU's features now, on a helper with nothing else to
/// do yet, rather than at the first `memchr` of a thread with work to do
/// (its first search asks std which vector instructions there are).
/// Detection runs `cpuid` several times, and in a virtual machine each
/// `cpuid` traps to the hypervisor: 40–50 µs of a traefik run, paid by the
/// parse helper's first template and the render thread's first file
/// (`perf`: 0.6% and 0.3% of the run's samples).
#[cfg(not(target_arch = "wasm32"))]
fn detect_cpu_features() {
    #[cfg(target_arch = "x86_64")]
    {
        let _ = std::arch::is_x86_feature_detected!("avx2");
    }
}

/// Runs `work` on the helper [`prestart`] started, if there is one with at
/// least `stack_bytes` of stack, otherwise on a new helper thread named
/// `name`, as [`spawn`] does.
#[cfg(not(target_arch = "wasm32"))]
fn spawn_or_take_prestarted(
    name: &str,
    stack_bytes: usize,
    work: impl FnOnce() + Send + 'static,
) -> std::io::Result<()> {
    let mut work: Work = Box::new(work);
    let prestarted = PRESTARTED.lock().ok().and_then(|mut slot| slot.take());
    if let Some(prestarted) = prestarted.filter(|p| p.stack_bytes >= stack_bytes) {
        // A helper that is gone gives the work back.
        match prestarted.work.send(work) {
            Ok(()) => return Ok(()),
            Err(std::sync::mpsc::SendError(returned)) => work = returned,
        }
    }
    spawn_detached(name, stack_bytes, work)
}

/// Starts `work` on a helper thread nobody joins, as [`spawn`] does; once
/// the work is done the thread ends, or stays parked in a process that
/// skips teardown ([`crate::teardown::idle_until_exit`]).
#[cfg(not(target_arch = "wasm32"))]
fn spawn_detached(
    name: &str,
    stack_bytes: usize,
    work: impl FnOnce() + Send + 'static,
) -> std::io::Result<()> {
    spawn(name, stack_bytes, move || {
        work();
        crate::teardown::idle_until_exit();
    })
    .map(drop)
}

/// A helper started with [`spawn_staying`] on this thread: where to send it
/// its next job, and how much stack it has.
#[cfg(not(target_arch = "wasm32"))]
struct Staying {
    jobs: std::sync::mpsc::Sender<Handed>,
    stack_bytes: usize,
}

#[cfg(not(target_arch = "wasm32"))]
std::thread_local! {
    static STAYING: std::cell::RefCell<Option<Staying>> = const { std::cell::RefCell::new(None) };
    /// On a staying helper: where its one job comes, until it has run.
    static HANDED: std::cell::RefCell<Option<std::sync::mpsc::Receiver<Handed>>> =
        const { std::cell::RefCell::new(None) };
    /// On a staying helper: what is to run once its work is done (what a
    /// job that ran between the steps left, or a job that may not run
    /// there).
    static AFTERWARDS: std::cell::RefCell<Option<Afterwards>> =
        const { std::cell::RefCell::new(None) };
}

/// Starts `work` on a helper thread named `name` (with `stack_bytes` of
/// stack), as [`spawn`] does, but the helper then
/// stays for one more job: the next [`spawn_or_reuse`] on this thread hands
/// it over, to run once `work` is done, or earlier, where `work` calls
/// [`run_handed_job`] between its steps. A thread already running and its
/// heap already set up take the job at once, where a new thread would have
/// to start first, and wait for a core to be woken. The helper is done when
/// it has run that job, or when this thread ends without handing one over
/// (or starts another staying helper); it then ends, or stays parked in a
/// process that skips teardown, as every helper not joined does
/// ([`spawn_detached`]).
#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn spawn_staying(
    name: &str,
    stack_bytes: usize,
    work: impl FnOnce() + Send + 'static,
) -> std::io::Result<()> {
    let (jobs, next) = std::sync::mpsc::channel::<Handed>();
    spawn_or_take_prestarted(name, stack_bytes, move || {
        HANDED.with(|h| *h.borrow_mut() = Some(next));
        // Work that panicked has told its caller so (what it sends is gone);
        // the job still runs.
        let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(work));
        let afterwards = match AFTERWARDS.with(|a| a.borrow_mut().take()) {
            Some(afterwards) => Some(afterwards),
            None => HANDED
                .with(|h| h.borrow_mut().take())
                .and_then(|next| next.recv().ok())
                .and_then(|handed| (handed.job)()),
        };
        if let Some(afterwards) = afterwards {
            afterwards();
        }
    })?;
    STAYING.with(|s| *s.borrow_mut() = Some(Staying { jobs, stack_bytes }));
    Ok(())
}

/// On a helper [`spawn_staying`] started, runs the job handed over to it,
/// if one is waiting and has not run yet (what it leaves for afterwards
/// runs once the work is done); elsewhere, does nothing. For the helper's
/// work to call between its steps, where the job should not wait for the
/// rest of the work.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn run_handed_job() {
    let waiting = HANDED.with(|h| {
        let mut h = h.borrow_mut();
        let handed = h.as_ref()?.try_recv().ok()?;
        // One job only: the helper takes no other.
        *h = None;
        Some(handed)
    });
    let afterwards = match waiting {
        Some(Handed {
            job,
            between_steps: true,
        }) => job(),
        Some(Handed {
            job,
            between_steps: false,
        }) => Some(Box::new(move || {
            if let Some(afterwards) = job() {
                afterwards();
            }
        }) as Afterwards),
        None => None,
    };
    if let Some(afterwards) = afterwards {
        AFTERWARDS.with(|a| *a.borrow_mut() = Some(afterwards));
    }
}

/// Runs `job` on the helper [`spawn_staying`] started from this thread
/// once its work is done (or between its steps: [`run_handed_job`]), if
/// there is one with at least `stack_bytes` of stack that can still take
/// it; otherwise on a new helper thread named `name`, as [`spawn`] does.
/// `between_steps` says whether the job may interrupt the work: whether it
/// is worth more started now than the work finished first. What the job
/// returns runs after it on the same thread, once the helper's work is
/// done: a job that would wait (for requests, say) leaves that part for
/// afterwards, so as not to hold up the work it interrupted.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn spawn_or_reuse(
    name: &str,
    stack_bytes: usize,
    between_steps: bool,
    job: impl FnOnce() -> Option<Afterwards> + Send + 'static,
) -> std::io::Result<()> {
    let mut job: Job = Box::new(job);
    if let Some(staying) = STAYING.with(|s| s.borrow_mut().take()) {
        if staying.stack_bytes >= stack_bytes {
            // A helper that is gone gives the job back.
            match staying.jobs.send(Handed { job, between_steps }) {
                Ok(()) => return Ok(()),
                Err(std::sync::mpsc::SendError(returned)) => job = returned.job,
            }
        }
    }
    spawn_detached(name, stack_bytes, move || {
        if let Some(afterwards) = job() {
            afterwards();
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    /// The prestart tests take turns: one slot holds the prestarted helper.
    /// Their helpers have less stack than any other test asks for, so no
    /// other test takes them.
    static PRESTART_TURN: std::sync::Mutex<()> = std::sync::Mutex::new(());
    const SMALL_STACK: usize = 256 << 10;

    #[test]
    fn recv_awake_takes_messages_while_spinning_and_once_blocked() {
        use std::sync::mpsc::{channel, RecvError};
        use std::time::Duration;
        let (tx, rx) = channel();
        tx.send(1).expect("open");
        assert_eq!(recv_awake(&rx, Duration::ZERO), Ok(1), "already there");
        let sender = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(30));
            tx.send(2).expect("open");
            std::thread::sleep(Duration::from_millis(30));
            tx.send(3).expect("open");
        });
        // The first comes while spinning, the second after the spin ran out.
        assert_eq!(recv_awake(&rx, Duration::from_secs(60)), Ok(2));
        assert_eq!(recv_awake(&rx, Duration::from_millis(1)), Ok(3));
        sender.join().expect("sender");
        assert_eq!(recv_awake(&rx, Duration::from_secs(60)), Err(RecvError));
    }

    /// The name of the thread the next staying helper's work runs on,
    /// asking for `stack_bytes` of stack, and whether a job handed to it
    /// then ran on that same thread.
    fn staying_work_thread(stack_bytes: usize) -> (Option<String>, bool) {
        let (tx, rx) = std::sync::mpsc::channel();
        let job_tx = tx.clone();
        spawn_staying("late", stack_bytes, move || {
            let name = std::thread::current().name().map(str::to_string);
            tx.send(name).expect("open");
        })
        .expect("thread");
        spawn_or_reuse("job", stack_bytes, false, move || {
            let name = std::thread::current().name().map(str::to_string);
            job_tx.send(name).expect("open");
            None
        })
        .expect("handed over");
        let (work, job) = (rx.recv().expect("work"), rx.recv().expect("job"));
        let same = work == job;
        (work, same)
    }

    #[test]
    fn a_prestarted_helper_takes_the_next_staying_work_spinning_or_blocked() {
        let _turn = PRESTART_TURN.lock();
        assert!(prestart("early", SMALL_STACK, Duration::from_secs(5)));
        assert_eq!(
            staying_work_thread(SMALL_STACK),
            (Some("early".to_string()), true),
            "taken while spinning"
        );
        assert!(prestart("early", SMALL_STACK, Duration::ZERO));
        std::thread::sleep(Duration::from_millis(20));
        assert_eq!(
            staying_work_thread(SMALL_STACK),
            (Some("early".to_string()), true),
            "taken once blocked"
        );
    }

    #[test]
    fn a_prestarted_helper_with_too_little_stack_is_not_used() {
        let _turn = PRESTART_TURN.lock();
        assert!(prestart("early", SMALL_STACK, Duration::from_secs(5)));
        assert_eq!(
            staying_work_thread(2 * SMALL_STACK),
            (Some("late".to_string()), true)
        );
        assert!(PRESTARTED.lock().expect("not poisoned").is_none(), "let go");
    }

    #[test]
    fn a_staying_helper_runs_the_job_handed_over_after_its_work() {
        let (done, order) = std::sync::mpsc::channel();
        let first = done.clone();
        spawn_staying("test", 1 << 20, move || {
            std::thread::sleep(std::time::Duration::from_millis(20));
            first
                .send(("work", std::thread::current().id()))
                .expect("open");
        })
        .expect("thread");
        spawn_or_reuse("other", 1 << 20, true, move || {
            done.send(("job", std::thread::current().id()))
                .expect("open");
            None
        })
        .expect("handed over");
        let (work, job) = (order.recv().expect("work"), order.recv().expect("job"));
        assert_eq!(
            (work.0, job.0),
            ("work", "job"),
            "the job waits for the work"
        );
        assert_eq!(work.1, job.1, "on the same thread");
        assert_ne!(work.1, std::thread::current().id());
    }

    /// A staying helper whose work takes `steps` steps, each once the test
    /// sends on the first channel, running a handed job first and then
    /// reporting `step N` on the second; the third sends there too.
    fn stepwise_helper(
        steps: usize,
    ) -> (
        std::sync::mpsc::Sender<()>,
        std::sync::mpsc::Receiver<String>,
        std::sync::mpsc::Sender<String>,
    ) {
        let (report, reports) = std::sync::mpsc::channel::<String>();
        let (go, wait) = std::sync::mpsc::channel::<()>();
        let for_job = report.clone();
        spawn_staying("staying", 1 << 20, move || {
            for i in 0..steps {
                wait.recv().expect("the test lets each step go");
                run_handed_job();
                report.send(format!("step {i}")).expect("open");
            }
        })
        .expect("thread");
        (go, reports, for_job)
    }

    #[test]
    fn a_job_handed_over_runs_between_the_steps_of_the_work() {
        let (go, reports, from_job) = stepwise_helper(3);
        go.send(()).expect("waiting");
        assert_eq!(reports.recv().expect("a step"), "step 0");
        spawn_or_reuse("fresh", 1 << 20, true, move || {
            let on = std::thread::current().name().map(str::to_string);
            from_job.send(format!("job on {on:?}")).expect("open");
            let later = move || from_job.send("afterwards".into()).expect("open");
            Some(Box::new(later) as Afterwards)
        })
        .expect("handed over");
        go.send(()).expect("waiting");
        go.send(()).expect("waiting");
        let rest: Vec<String> = reports.iter().take(4).collect();
        // Between the steps, once, on the helper; what it left, after them.
        assert_eq!(
            rest,
            ["job on Some(\"staying\")", "step 1", "step 2", "afterwards"]
        );
    }

    #[test]
    fn a_job_that_may_not_interrupt_runs_once_the_work_is_done() {
        let (go, reports, from_job) = stepwise_helper(2);
        spawn_or_reuse("fresh", 1 << 20, false, move || {
            from_job.send("job".into()).expect("open");
            None
        })
        .expect("handed over");
        go.send(()).expect("waiting");
        go.send(()).expect("waiting");
        let all: Vec<String> = reports.iter().take(3).collect();
        assert_eq!(all, ["step 0", "step 1", "job"]);
    }

    #[test]
    fn jobs_go_to_new_threads_when_no_helper_can_take_them() {
        let run_on = |stack_bytes| {
            let (done, ran) = std::sync::mpsc::channel();
            spawn_or_reuse("test", stack_bytes, true, move || {
                done.send(std::thread::current().id()).expect("open");
                None
            })
            .expect("thread");
            ran.recv().expect("ran")
        };
        // None staying.
        let alone = run_on(1 << 20);
        assert_ne!(alone, std::thread::current().id());
        // One staying, with too little stack for the job: it is let go.
        let (done, ran) = std::sync::mpsc::channel();
        spawn_staying("test", 1 << 20, move || {
            done.send(std::thread::current().id()).expect("open");
        })
        .expect("thread");
        let helper = ran.recv().expect("work ran");
        assert_ne!(run_on(2 << 20), helper);
        // The helper took no job, and only one is handed over in all.
        assert_ne!(run_on(1 << 20), helper);
    }

    #[test]
    fn a_staying_helper_whose_work_panicked_still_runs_the_job() {
        let (done, ran) = std::sync::mpsc::channel();
        spawn_staying("staying", 1 << 20, || panic!("the work fails")).expect("thread");
        spawn_or_reuse("fresh", 1 << 20, true, move || {
            done.send(std::thread::current().name().map(str::to_string))
                .expect("open");
            None
        })
        .expect("handed over");
        assert_eq!(ran.recv().expect("ran"), Some("staying".to_string()));
    }
}
