// The one background thread that does a run's file I/O while the step loop computes: the gridded
// records and their deflate compression, the receptor series, checkpoints and the weather records
// read ahead (docs/architecture.md, "I/O thread"). A small FIFO executor: tasks run one at a time,
// in the order they were queued; each task's result or exception comes back through its future.
//
// netCDF-C and HDF5 are not thread-safe. The rule the run keeps: while the I/O thread may be busy,
// every netCDF/HDF5 call of the process is made on it (submit, run_sync); the main thread calls
// netCDF/HDF5 itself only when the thread is idle (after drain(), before its next submit). Only the
// main thread submits, so after drain() nothing runs until it queues the next task.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <thread>
#include <type_traits>
#include <utility>

namespace lantian {

class IoThread {
public:
    // Starts the thread. Its own OpenMP regions (a weather record remapped ahead) run on one
    // thread: it must not oversubscribe the cores the step's parallel regions use.
    IoThread();
    // Runs what is still queued, then joins.
    ~IoThread();
    IoThread(const IoThread&) = delete;
    IoThread& operator=(const IoThread&) = delete;

    // Queues `task` after everything queued before it; the future holds its result, or the
    // exception it threw (rethrown by get(), with its type and message).
    template <class F>
    auto submit(F task) -> std::future<std::invoke_result_t<F&>> {
        using R = std::invoke_result_t<F&>;
        auto job = std::make_shared<std::packaged_task<R()>>(std::move(task));
        std::future<R> done = job->get_future();
        enqueue([job] { (*job)(); });
        return done;
    }

    // Runs `task` on the I/O thread after everything queued and waits for it: its result, or its
    // exception rethrown here. On the I/O thread itself (a task calling it) the task runs at once.
    template <class F>
    auto run_sync(F task) -> std::invoke_result_t<F&> {
        if (on_this_thread()) return task();
        return submit(std::move(task)).get();
    }

    // Waits until every task queued so far has run (their exceptions stay in their futures).
    void drain();
    // Tasks queued or running.
    std::size_t pending() const;
    bool on_this_thread() const { return std::this_thread::get_id() == thread_.get_id(); }

private:
    void enqueue(std::function<void()> job);
    void loop();

    mutable std::mutex mutex_;
    std::condition_variable wake_, idle_;
    std::deque<std::function<void()>> queue_;
    std::size_t pending_ = 0;  // queued + running
    bool stop_ = false;
    std::thread thread_;
};

// The process's I/O thread (started at first use): netCDF's one thread, shared by every writer and
// reader of a run.
IoThread& io_thread();

}  // namespace lantian
