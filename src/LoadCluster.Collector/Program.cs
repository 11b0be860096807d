// Placeholder until this project lands.
return 0;
