// SUNDIALS CVODE (BDF) as the independent reference integrator of the chemistry solver's tests
// (docs/chemistry-solver.md): the right-hand side is written directly from the ReactionSystem
// definition (reaction_system.hpp), not from the solver's compiled form. Test-only (SUNDIALS is
// linked into lantian_tests alone).
#pragma once

#include <catch2/catch.hpp>

#include <cvode/cvode.h>
#include <nvector/nvector_serial.h>
#include <sundials/sundials_context.h>
#include <sunlinsol/sunlinsol_dense.h>
#include <sunmatrix/sunmatrix_dense.h>

#include <vector>

#include "chemistry/reaction_system.hpp"

namespace lantian::test {

// dc/dt written directly from the ReactionSystem definition (reaction_system.hpp), independent of
// the solver's compiled form: the right-hand side handed to CVODE.
struct Rhs {
    const chem::ReactionSystem* sys;
    std::vector<double> k, e;
};

inline int cvode_rhs(sunrealtype, N_Vector y, N_Vector ydot, void* user) {
    const Rhs& r = *static_cast<const Rhs*>(user);
    const double* c = N_VGetArrayPointer(y);
    double* d = N_VGetArrayPointer(ydot);
    for (int i = 0; i < r.sys->nspecies(); ++i) d[i] = r.e.empty() ? 0.0 : r.e[static_cast<std::size_t>(i)];
    for (int j = 0; j < r.sys->nreactions(); ++j) {
        const auto& re = r.sys->reactions[static_cast<std::size_t>(j)];
        double rate = r.k[static_cast<std::size_t>(j)];
        for (int s : re.reactants) rate *= c[s];
        for (int s : re.reactants) d[s] -= rate;
        for (const auto& p : re.products) d[p.species] += p.coefficient * rate;
    }
    return 0;
}

// CVODE (BDF, dense Newton with difference-quotient Jacobian) from c over [0, dt].
class Cvode {
public:
    Cvode(const chem::ReactionSystem& sys, double rtol, double atol) : n_(sys.nspecies()) {
        rhs_.sys = &sys;
        SUNContext_Create(nullptr, &ctx_);
        y_ = N_VNew_Serial(n_, ctx_);
        mem_ = CVodeCreate(CV_BDF, ctx_);
        N_VConst(0.0, y_);
        CVodeInit(mem_, cvode_rhs, 0.0, y_);
        CVodeSStolerances(mem_, rtol, atol);
        CVodeSetUserData(mem_, &rhs_);
        CVodeSetMaxNumSteps(mem_, 1000000);
        A_ = SUNDenseMatrix(n_, n_, ctx_);
        ls_ = SUNLinSol_Dense(y_, A_, ctx_);
        CVodeSetLinearSolver(mem_, ls_, A_);
    }
    ~Cvode() {
        CVodeFree(&mem_);
        SUNLinSolFree(ls_);
        SUNMatDestroy(A_);
        N_VDestroy(y_);
        SUNContext_Free(&ctx_);
    }
    Cvode(const Cvode&) = delete;
    Cvode& operator=(const Cvode&) = delete;
    void integrate(double dt, std::vector<double>& c, const std::vector<double>& k, const std::vector<double>& e) {
        rhs_.k = k;
        rhs_.e = e;
        for (int i = 0; i < n_; ++i) NV_Ith_S(y_, i) = c[static_cast<std::size_t>(i)];
        CVodeReInit(mem_, 0.0, y_);  // rates jump at the hour: restart the multistep history
        sunrealtype t = 0;
        REQUIRE(CVode(mem_, dt, y_, &t, CV_NORMAL) >= 0);
        for (int i = 0; i < n_; ++i) c[static_cast<std::size_t>(i)] = NV_Ith_S(y_, i);
    }
private:
    int n_;
    Rhs rhs_;
    SUNContext ctx_ = nullptr;
    N_Vector y_ = nullptr;
    void* mem_ = nullptr;
    SUNMatrix A_ = nullptr;
    SUNLinearSolver ls_ = nullptr;
};

}  // namespace lantian::test
