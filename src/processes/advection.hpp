// Mass-consistent, dimensionally split flux-form advection (PPM or donor cell) with alternating
// order and per-line sub-stepping. Owns the per-step flux buffers; the loops are in kernels/.
#pragma once

#include <memory>
#include <vector>

#include "advection_kernels.hpp"
#include "config/config.hpp"
#include "parallel/exact_sum.hpp"
#include "processes/process.hpp"

namespace lantian {

// The open boundaries the ledger books: the four lateral edges and the model top.
enum class Edge4 { west = 0, east = 1, south = 2, north = 3, top = 4 };
inline constexpr const char* kEdgeNames[] = {"west", "east", "south", "north", "top"};

// Background concentration profile at the open lateral and top boundaries:
//   c(z) = c_surface exp(−z / H)  (µg m-3), entering as q = c / ρ of the adjacent cell;
// or, with as_mixing_ratio, a fixed mixing ratio q = surface value (µg kg-1) at every height.
struct BoundaryProfile {
    std::vector<double> surface_ug_m3;  // per species
    double scale_height_m = 2000.0;
    bool as_mixing_ratio = false;
    // Per species, optional: mixing-ratio points (height m, µg kg-1) replacing the surface value and
    // scale height (photochemical mode: O3 rising into the free troposphere).
    std::vector<std::vector<std::pair<double, double>>> q_points;
    double at(int s, double z_m) const;
    bool tabulated(int s) const { return static_cast<std::size_t>(s) < q_points.size() && !q_points[static_cast<std::size_t>(s)].empty(); }
    double q_at(int s, double z_m) const;  // µg kg-1, linear between points, constant outside
};

// Inflow mixing ratios at the open boundaries given from outside the run instead of the background
// profile: a parent domain's fields (nesting/nest_boundary.hpp). Asked once per step.
class BoundaryInflow {
public:
    virtual ~BoundaryInflow() = default;
    // Makes the values valid at t (seconds since 1970 UTC): the middle of the step.
    virtual void prepare(double t_epoch_s) = 0;
    // Mixing ratio (µg kg-1) just outside `edge` for tracer `tracer`: west/east at row `along` = j
    // and layer k; south/north at column `along` = i and layer k; top at column `along` = j*nx + i.
    virtual double q(Edge4 edge, int tracer, int along, int k) const = 0;
};

class Advection final : public Process {
public:
    Advection(const Grid& grid, int nspec, kernels::Reconstruction rec, BoundaryKind boundary, double cfl,
              BoundaryProfile background);
    // Books inflow_<edge> and outflow_<edge> for the four lateral edges and the top.
    ProcessInfo info() const override;
    // Largest mass Courant number of the last step per axis (before sub-stepping).
    // Source-apportionment tags: tracers from `nbulk` on are tags, moved as shares of the fluxes of
    // bulk tracer bulk[set] (tags[set*ntags + g]); inflow through open edges goes to tag `background`.
    // Tags need open lateral boundaries.
    void set_tags(int nbulk, std::vector<int> bulk, std::vector<int> tags, int ntags, int background);
    // Inflow through the lateral edges and the top from `inflow` instead of the background profile
    // (the lateral boundary must be open).
    void set_inflow(std::shared_ptr<BoundaryInflow> inflow) { inflow_ = std::move(inflow); }

protected:
    void step_impl(StepContext& ctx) override;

private:
    // The air mass at the sweep's start is `start` (kg; the state's own or one kept for steady
    // weather); the sweep writes its air mass to `out` (nullptr: nowhere), `end` instead of the swept
    // one if given (the last sweep: the air mass the step ends on). `after` is the air mass after the
    // sweep if it is not written to the state (steady weather; tags need it). Steady weather also
    // keeps each line's sub-step count: `kept_substeps` (nullptr: counted), recorded into
    // `record_substeps` if given.
    void sweep(kernels::Axis axis, StepContext& ctx, const double* start, double* out, const double* end, const double* after,
               const int* kept_substeps = nullptr, int* record_substeps = nullptr);

    kernels::GridViews gv_;
    int nspec_;
    kernels::Reconstruction rec_;
    BoundaryKind boundary_;
    double cfl_;
    BoundaryProfile background_;
    std::shared_ptr<BoundaryInflow> inflow_;
    FieldVector<double> flux_x_, flux_y_, flux_z_, target_mass_;  // (huge pages: state/field_vector.hpp)
    WeatherCache flux_cache_, target_cache_;  // flux_x_/flux_y_ and target_mass_ kept while the weather holds
    WeatherCache vertical_cache_;             // flux_z_, kept while those and the air mass at the step's start hold
    std::uint64_t flux_rev_ = 0, target_rev_ = 0;  // revisions of flux_x_/flux_y_ and of target_mass_'s values
    // Steady weather (docs/architecture.md, "Steady weather: the sweeps' air masses kept"): a step
    // that starts on the target with the fluxes and target of an earlier step of the same sweep order
    // passes through the same air masses. steady_mass_[order][n] holds the one after sweep n + 1 of
    // that order (order 0: x→y→z, 1: z→y→x), recorded for fluxes steady_key_[order] = {flux_rev_,
    // target_rev_} ({0, 0}: nothing kept); such a step reads them and writes no air mass.
    FieldVector<double> steady_mass_[2][2];
    std::uint64_t steady_key_[2][2] = {{0, 0}, {0, 0}};
    std::vector<int> steady_substeps_[2][3];  // each line's sub-steps in sweep n of that order, kept with them
    std::vector<int> substeps_;
    std::vector<double> line_worst_;
    std::vector<double> profile_;            // background c(z) per species and level (µg m-3)
    std::vector<ExactSum> boundary_sums_;    // per species × (lo in, lo out, hi in, hi out)
    std::vector<real> inflow_lo_, inflow_hi_;
    std::vector<double> boundary_ug_;
    FieldVector<double> scratch_;  // (cache-line aligned: state/field_vector.hpp)
    // Tags
    int nbulk_ = 0, ntags_ = 0, background_tag_ = 0;
    std::vector<int> tag_bulk_, tag_index_;
    std::vector<double> mass_before_, tag_boundary_ug_;
    FieldVector<double> tag_scratch_;
    std::vector<double> g_in_, g_out_;  // decomposed: tag flux handed between the blocks of a line
    std::vector<real> bulk_before_;
};

}  // namespace lantian
