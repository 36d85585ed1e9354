def child_main(argv):
    return 0
