// Names of the files a run writes beside its output: the one rule for the stem of an output path.
// Pure string work: no file system access, no knowledge of what the files hold.
#pragma once

#include <string>

namespace lantian {

// The path without a trailing ".nc" ("run.nc" -> "run", "run" -> "run"), the stem that companion
// files append to: "<stem>_receptors.nc", "<stem>_report", "<stem>.checkpoint_g1.h5", …
std::string strip_nc_suffix(const std::string& path);

}  // namespace lantian
