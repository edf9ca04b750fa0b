// Placeholder; replaced by the benchmark driver.
int main() { return 0; }
