pub mod modapte;
