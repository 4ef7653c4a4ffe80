// Standalone entry point of the emulator; filled in with the emulator itself.
return 0;
