// Removal inside the column: gravitational settling through the layers and wet scavenging by
// precipitation. Each books its own ledger term. Dry deposition at the ground is in
// processes/deposition.hpp, chemistry in chemistry/.
#pragma once

#include <string>
#include <vector>

#include "config/config.hpp"
#include "processes/process.hpp"
#include "window.hpp"

namespace lantian {

class Settling final : public Process {
public:
    Settling(const Grid& grid, std::vector<int> species, std::vector<double> velocity_m_s);
    ProcessInfo info() const override {
        return {"gravitational settling", "removal", {}, {{"settled", TermKind::removal, "settled", "gravitational settling to the ground"}}, {}};
    }

protected:
    void step_impl(StepContext& ctx) override;

private:
    kernels::GridViews gv_;
    std::vector<int> species_;
    std::vector<double> velocity_m_s_;
    std::vector<double> dz_;         // nz, layer thickness (m)
    std::vector<double> fraction_;   // nz, v_s Δt_sub / Δz_k of the species being settled
    std::vector<double> column_ug_;  // per column (ny*nx), for the ledger
    std::vector<ExactSum> sums_;
};

class WetScavenging final : public Process {
public:
    struct Coefficients {
        int species;
        double a_s, b;  // Λ = a P^b (s-1, P in mm h-1)
    };
    WetScavenging(const Grid& grid, std::vector<Coefficients> coefficients);
    ProcessInfo info() const override {
        return {"wet scavenging", "removal", {"precip_mm_h"}, {{"wet_deposited", TermKind::removal, "wet", "wet scavenging by precipitation"}}, {}};
    }

protected:
    void step_impl(StepContext& ctx) override;

private:
    kernels::GridViews gv_;
    std::vector<Coefficients> coefficients_;
    std::vector<double> column_ug_;  // per column (ny*nx), for the ledger
    std::vector<ExactSum> sums_;
};

}  // namespace lantian
