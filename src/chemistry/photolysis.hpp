// Photolysis rates (J, s-1) for the J names of a photochemical mechanism: a clear-sky
// parameterisation in the solar zenith angle χ, then corrections for altitude, clouds and surface
// albedo. Method, table format and simplifications: docs/photolysis.md.
//
// Clear sky (Saunders et al., 2003, Atmos. Chem. Phys. 3, 161; MCM v3.3.1 parameters):
//   J_mcm = l · (cos χ)^m · exp(−n · sec χ)
// Each mechanism J name is a sum of terms coef · J_mcm (configs/mechanisms/cb6r3_photolysis.txt).
// Corrections multiply every J (docs/photolysis.md gives their sources and limits):
//   J = J_clear · F_alt(z) · F_cloud(f, τ, cos χ) · F_albedo(A)
// Night (cos χ ≤ 0) gives exactly 0.
#pragma once

#include <istream>
#include <string>
#include <vector>

namespace lantian::chem {

struct Mechanism;

// One MCM-form parameterisation J = l (cos χ)^m exp(−n sec χ).
struct McmJ {
    std::string name;   // MCM designation, e.g. "J4"
    double l_per_s = 0; // s-1
    double m = 0;       // exponent of cos χ (dimensionless)
    double n = 0;       // coefficient of sec χ (dimensionless)
    int line = 0;       // line in the table file
};

// A mechanism J name as sum of coef · J_mcm.
struct PhotolysisMapping {
    std::string name;                          // mechanism J name, e.g. "NO2_IUPAC10"
    std::vector<std::pair<int, double>> terms; // index into PhotolysisTable::mcm, coefficient
    bool simplified = false;                   // documented simplification (not the same process)
    int line = 0;
};

struct PhotolysisTable {
    std::string file;
    std::vector<McmJ> mcm;
    std::vector<PhotolysisMapping> map;
    std::vector<int> order;  // for_mechanism(): map index per Mechanism::photolysis_names entry

    int find_mcm(const std::string& name) const;  // -1 if absent
    int find_map(const std::string& name) const;  // -1 if absent
};

// Reads a photolysis table; any problem throws ConfigError "FILE:LINE: problem".
PhotolysisTable read_photolysis_table(const std::string& path);
PhotolysisTable parse_photolysis_table(std::istream& in, const std::string& file);

// Orders the table by the mechanism's J names (PhotolysisTable::order); a J name of the mechanism
// without a mapping throws ConfigError naming it (and the table file).
void bind_to_mechanism(PhotolysisTable& table, const Mechanism& mech);

struct PhotolysisInputs {
    double cos_zenith = 0;              // cos χ (≤ 0: night)
    double altitude_m = 0;              // height above sea level of the point (surface elevation + height above ground), m
    double cloud_fraction = 0;          // 0..1
    double cloud_optical_depth = -1;    // τ (dimensionless); < 0: not known
    double liquid_water_path_g_m2 = -1; // cloud liquid water path, g m-2; < 0: not known (used if τ is not known)
    bool below_cloud = true;            // the point lies below the cloud (above it: no cloud correction)
    double albedo = 0.1;                // surface UV albedo, 0..1 (default: kReferenceAlbedo)
};

// Surface albedo assumed in the clear-sky values (docs/photolysis.md): albedo_factor(0.1) = 1.
inline constexpr double kReferenceAlbedo = 0.1;

// Correction factors (docs/photolysis.md).
double altitude_factor(double altitude_m);
double cloud_factor(const PhotolysisInputs& in);
double albedo_factor(double albedo);

// j_per_s[k] for every entry k of table.order (bind_to_mechanism first), i.e. in the order of
// Mechanism::photolysis_names.
void photolysis_rates(const PhotolysisTable& table, const PhotolysisInputs& in, double* j_per_s);

// Clear-sky J of one mapping (s-1), no corrections.
double clear_sky_rate(const PhotolysisTable& table, int map_index, double cos_zenith);

}  // namespace lantian::chem
