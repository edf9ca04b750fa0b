// Biogenic emission factors per land class.
#include "emissions/biogenic.hpp"

namespace lantian {

BiogenicOptions biogenic_options(const Config& cfg) {
    BiogenicOptions o;
    o.on = cfg.inventory.biogenic && cfg.chemistry.mechanism == ChemistryMechanism::cb6r3;
    o.land_class = cfg.removal.land_class;
    o.scale = cfg.inventory.biogenic_scale;
    return o;
}

std::array<kernels::BiogenicClass, 2> biogenic_classes(LandClass land_class) {
    // Landscape-average emission factors (µg m-2 h-1 of ground, standard conditions): the MEGAN2.1
    // plant-functional-type factors (Guenther et al. 2012, GMD 5, 1471, Table 2: broadleaf
    // deciduous temperate trees ~10000 isoprene, needleleaf evergreen temperate trees ~600 isoprene
    // and ~1000-2000 monoterpenes, C3 grass ~800 isoprene, crops ~1 isoprene) weighted by a vegetation
    // cover we assume for each class (forest: mixed broadleaf/needleleaf, 40 % isoprene emitters;
    // urban: 15 % tree cover; grassland: 40 % cover; cropland: crops plus a few trees; desert: sparse
    // shrubs). Indicative: the domain has one land class and no land-cover data.
    double isop = 0, terp = 0;
    switch (land_class) {
        case LandClass::forest: isop = 4000; terp = 800; break;
        case LandClass::urban: isop = 500; terp = 100; break;
        case LandClass::grassland: isop = 300; terp = 60; break;
        case LandClass::cropland: isop = 20; terp = 20; break;
        case LandClass::desert: isop = 20; terp = 5; break;
        case LandClass::water: isop = 0; terp = 0; break;
        case LandClass::snow: isop = 0; terp = 0; break;
    }
    // Isoprene: wholly light dependent (LDF = 1), C_T1 = 95. Monoterpenes, one lumped class: LDF = 0.6,
    // β = 0.10 K-1, C_T1 = 80 (Guenther et al. 2012, Table 4, α-pinene-like).
    return {kernels::BiogenicClass{isop, 1.0, 0.13, 95.0}, kernels::BiogenicClass{terp, 0.6, 0.10, 80.0}};
}

}  // namespace lantian
