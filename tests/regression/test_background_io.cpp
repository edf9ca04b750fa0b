// The output written on the I/O thread (output/io_thread.hpp) keeps the rules of the synchronous
// writer: a run stopped by a signal while a record is still being written leaves no file under a
// final name, the record in flight reaches the .incomplete file before it is closed, the checkpoint
// written on the signal counts exactly the records on disk, and the restart from it gives the files
// of an uninterrupted run.
#include <catch2/catch.hpp>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <future>
#include <string>
#include <thread>
#include <vector>

#include "output/io_thread.hpp"
#include "simulation/checkpoint.hpp"
#include "simulation/simulation.hpp"
#include "support/test_support.hpp"

using namespace lantian;
namespace fs = std::filesystem;

namespace {
Config small_run(const std::string& dir) {
    Config cfg;
    cfg.run.hours = 5;
    cfg.grid = test::cartesian(20, 16, 2000.0, {});
    cfg.grid.layer_faces_m.clear();
    cfg.grid.nz = 6;
    cfg.met.source = MetKind::uniform;
    cfg.met.speed_m_s = 3.0;
    cfg.species.names = {"SO2", "PM25"};
    cfg.species.background_ug_m3 = {{"SO2", 5.0}, {"PM25", 12.0}};
    cfg.receptors.stations = {"S1:" + std::to_string(cfg.grid.center_lon) + ":" + std::to_string(cfg.grid.center_lat)};
    cfg.output.file = dir + "/run.nc";
    cfg.output.fields_3d = true;
    cfg.output.state_file = dir + "/run_state.nc";
    cfg.output.state_hours = {0, 2, 5};
    cfg.checkpoint.interval_h = 0;  // only the signal writes one (a periodic one would wait for the hold below)
    return cfg;
}

// Every file of the folder that has a final name (not .partial, not .incomplete.*), except checkpoints.
std::vector<std::string> final_names(const std::string& dir) {
    std::vector<std::string> out;
    for (const auto& e : fs::directory_iterator(dir)) {
        const std::string name = e.path().filename().string();
        if (name.find(".partial") != std::string::npos || name.find(".incomplete.") != std::string::npos ||
            name.find(".checkpoint.h5") != std::string::npos)
            continue;
        out.push_back(name);
    }
    return out;
}
}  // namespace

TEST_CASE("A run stopped by SIGTERM while a record is in flight on the I/O thread leaves no file under a final name",
          "[regression][signal][io_thread]") {
    const std::string dir = test::scratch_dir("io_thread_sigterm");
    const Config cfg = small_run(dir);
    // The I/O thread is held busy from hour 1 until after the signal is seen at hour 2, so that the
    // record of hour 2 (and the state file's record of hour 2) are queued behind it when the loop
    // stops: they are in flight, not yet written.
    std::promise<void> release;
    std::shared_future<void> released = release.get_future().share();
    std::thread releaser;
    bool held = false, signalled = false;
    std::size_t pending_at_signal = 0;
    Simulation sim(cfg);
    std::string message;
    try {
        sim.run(true, [&](double t_s, double) {
            if (!held && t_s >= 3600.0 - 1e-6) {
                held = true;
                io_thread().submit([released] { released.wait(); });
            }
            if (!signalled && t_s >= 7200.0 - 1e-6) {
                signalled = true;
                pending_at_signal = io_thread().pending();
                g_stop_signal = SIGTERM;
                releaser = std::thread([&release] {
                    std::this_thread::sleep_for(std::chrono::milliseconds(300));
                    release.set_value();
                });
            }
        });
    } catch (const RunError& e) {
        message = e.what();
    }
    g_stop_signal = 0;
    if (releaser.joinable()) releaser.join();
    INFO(message);
    REQUIRE(signalled);
    CHECK(pending_at_signal >= 2);  // the hold and the hour-2 record: the record was in flight
    CHECK_THAT(message, Catch::Contains("interrupted by signal 15"));
    CHECK_THAT(message, Catch::Contains("closed at hour 2 and kept as " + dir + "/run.incomplete.nc"));
    CHECK(final_names(dir).empty());
    // The record in flight was written before the files were closed as incomplete.
    CHECK(test::read_nc_floats(dir + "/run.incomplete.nc", "time") == std::vector<float>{1, 2});
    CHECK(test::read_nc_floats(dir + "/run_receptors.incomplete.nc", "time") == std::vector<float>{1, 2});
    CHECK(test::read_nc_floats(dir + "/run_state.incomplete.nc", "time") == std::vector<float>{0, 2});
    // The checkpoint of the signal counts the records on disk.
    const Checkpoint c = read_checkpoint(sim.checkpoint_file());
    CHECK(c.records == 2);
    CHECK(c.t_s == Approx(7200.0));

    // The restart from it continues to the files of an uninterrupted run.
    {
        Simulation again(cfg);
        again.restart_from(sim.checkpoint_file());
        again.run(true);
    }
    const std::string ref_dir = test::scratch_dir("io_thread_sigterm_ref");
    Config ref_cfg = cfg;
    ref_cfg.output.file = ref_dir + "/run.nc";
    ref_cfg.output.state_file = ref_dir + "/run_state.nc";
    {
        Simulation ref(ref_cfg);
        ref.run(true);
    }
    for (const char* name : {"run.nc", "run_receptors.nc", "run_state.nc"}) {
        INFO(name);
        REQUIRE(fs::exists(dir + "/" + name));
        for (const char* var : {"time", "SO2", "PM25"}) {
            if (std::string(name) == "run_receptors.nc" && std::string(var) != "time" && std::string(var) != "SO2") continue;
            INFO(var);
            CHECK(test::read_nc_floats(dir + "/" + name, var) == test::read_nc_floats(ref_dir + "/" + name, var));
        }
    }
    CHECK(test::read_nc_floats(dir + "/run.nc", "SO2_3d") == test::read_nc_floats(ref_dir + "/run.nc", "SO2_3d"));
    CHECK(test::read_nc_floats(dir + "/run.nc", "time").size() == 5);
}
