fn main() {
    clientele_web::mount();
}
