// Catch2's main for all lrn-img tests.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
