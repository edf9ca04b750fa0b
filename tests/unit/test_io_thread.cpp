// Tests of the background I/O thread (output/io_thread.hpp): tasks run one at a time in the order
// they were queued, on one thread that is not the caller's; a task's exception reaches the caller
// with its type and message through its future (and run_sync), without stopping later tasks;
// drain() returns only when everything queued has run; run_sync from a task runs at once.
#include "output/io_thread.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <random>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "config/config.hpp"

using lantian::IoThread;

TEST_CASE("IoThread runs tasks in the order queued, one at a time, on its own thread", "[unit][io_thread]") {
    IoThread io;
    std::vector<int> order;  // touched by the I/O thread only, read after drain()
    std::atomic<int> running{0}, overlap{0};
    std::vector<std::thread::id> ids;
    std::mt19937 random(17);
    std::uniform_int_distribution<int> micros(0, 300);
    std::vector<std::future<void>> done;
    for (int n = 0; n < 200; ++n) {
        const int sleep_us = micros(random);
        done.push_back(io.submit([&, n, sleep_us] {
            if (running.fetch_add(1) != 0) ++overlap;
            std::this_thread::sleep_for(std::chrono::microseconds(sleep_us));
            order.push_back(n);
            ids.push_back(std::this_thread::get_id());
            running.fetch_sub(1);
        }));
    }
    io.drain();
    CHECK(io.pending() == 0);
    REQUIRE(order.size() == 200);
    for (int n = 0; n < 200; ++n) CHECK(order[static_cast<std::size_t>(n)] == n);
    CHECK(overlap.load() == 0);
    for (const auto& id : ids) CHECK(id == ids.front());
    CHECK(ids.front() != std::this_thread::get_id());
    for (auto& f : done) CHECK(f.wait_for(std::chrono::seconds(0)) == std::future_status::ready);
}

TEST_CASE("IoThread: drain waits for a slow task and a task's result comes back", "[unit][io_thread]") {
    IoThread io;
    std::atomic<bool> finished{false};
    io.submit([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(150));
        finished = true;
    });
    CHECK(io.pending() >= 1);
    io.drain();
    CHECK(finished.load());
    CHECK(io.run_sync([] { return 6 * 7; }) == 42);
    // run_sync queues behind what is pending: it sees the earlier task's effect.
    int value = 0;
    io.submit([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        value = 1;
    });
    CHECK(io.run_sync([&] { return value; }) == 1);
}

TEST_CASE("IoThread: a task's exception reaches the caller with its type and message; later tasks still run",
          "[unit][io_thread]") {
    IoThread io;
    auto failing = io.submit([] { throw std::runtime_error("out.nc.partial: writing SO2: NetCDF: HDF error (the disk is full)"); });
    auto bad_input = io.submit([]() -> int { throw lantian::ConfigError("wrf.nc: variable U at 2026-01-10 01:00: not finite"); });
    auto fine = io.submit([] { return std::string("written"); });
    try {
        failing.get();
        FAIL("no exception");
    } catch (const std::runtime_error& e) {
        CHECK(std::string(e.what()) == "out.nc.partial: writing SO2: NetCDF: HDF error (the disk is full)");
    }
    CHECK_THROWS_AS(bad_input.get(), lantian::ConfigError);
    CHECK(fine.get() == "written");
    CHECK_THROWS_WITH(io.run_sync([]() -> int { throw std::runtime_error("checkpoint.h5.partial: writing failed"); }),
                      "checkpoint.h5.partial: writing failed");
    CHECK(io.run_sync([] { return 1; }) == 1);  // the thread goes on after a failure
}

TEST_CASE("IoThread: run_sync from a task runs at once; drain from a task returns", "[unit][io_thread]") {
    IoThread io;
    auto nested = io.submit([&] {
        CHECK(io.on_this_thread());
        io.drain();  // must not wait for itself
        return io.run_sync([&] { return io.on_this_thread() ? 1 : 0; });
    });
    REQUIRE(nested.wait_for(std::chrono::seconds(10)) == std::future_status::ready);
    CHECK(nested.get() == 1);
    CHECK_FALSE(io.on_this_thread());
}

TEST_CASE("IoThread: destruction runs what is still queued", "[unit][io_thread]") {
    std::atomic<int> ran{0};
    {
        IoThread io;
        for (int n = 0; n < 20; ++n)
            io.submit([&] {
                std::this_thread::sleep_for(std::chrono::milliseconds(2));
                ++ran;
            });
    }
    CHECK(ran.load() == 20);
}
