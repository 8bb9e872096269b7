print("kgfuse: under construction")
