#include <ix/cli/cli.hpp>

#include <iostream>

int main(int argc, char** argv) {
  return ix::cli::Run(std::vector<std::string>(argv + 1, argv + argc), std::cout, std::cerr);
}
