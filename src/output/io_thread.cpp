// The background I/O thread; see the header.
#include "output/io_thread.hpp"

#ifdef _OPENMP
#include <omp.h>
#endif

namespace lantian {

IoThread::IoThread() : thread_([this] { loop(); }) {}

IoThread::~IoThread() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stop_ = true;
    }
    wake_.notify_one();
    thread_.join();
}

void IoThread::enqueue(std::function<void()> job) {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        queue_.push_back(std::move(job));
        ++pending_;
    }
    wake_.notify_one();
}

void IoThread::drain() {
    if (on_this_thread()) return;  // a task cannot wait for itself
    std::unique_lock<std::mutex> lock(mutex_);
    idle_.wait(lock, [this] { return pending_ == 0; });
}

std::size_t IoThread::pending() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return pending_;
}

void IoThread::loop() {
#ifdef _OPENMP
    omp_set_num_threads(1);  // this thread's own regions only (the ICV is per thread)
#endif
    for (;;) {
        std::function<void()> job;
        {
            std::unique_lock<std::mutex> lock(mutex_);
            wake_.wait(lock, [this] { return stop_ || !queue_.empty(); });
            if (queue_.empty()) return;  // stopping, nothing left
            job = std::move(queue_.front());
            queue_.pop_front();
        }
        job();  // a packaged task: its exception goes to its future
        {
            std::lock_guard<std::mutex> lock(mutex_);
            --pending_;
        }
        idle_.notify_all();
    }
}

IoThread& io_thread() {
    static IoThread thread;
    return thread;
}

}  // namespace lantian
