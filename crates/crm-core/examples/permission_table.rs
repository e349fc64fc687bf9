fn main() {
    print!("{}", crm_core::permissions::markdown_matrix());
}
